package android.app;
import java.util.*;
public class NotificationManager {
    public final Map<Integer, Notification> posted = new TreeMap<>();
    public final Map<String, NotificationChannel> channels = new HashMap<>();
    public int cancelAllCalls;
    public void notify(int id, Notification n) {
        if (android.os.Build.VERSION.SDK_INT >= 26 && (n.channel == null || !channels.containsKey(n.channel)))
            throw new IllegalArgumentException("no valid channel");
        posted.put(id, n);
    }
    public void cancel(int id) { posted.remove(id); }
    public void cancelAll() { posted.clear(); cancelAllCalls++; }
    public void createNotificationChannel(NotificationChannel c) { channels.putIfAbsent(c.id, c); }
}
