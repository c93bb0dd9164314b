package android.app;
public class NotificationChannel {
    public final String id; public final CharSequence name; public final int importance;
    public NotificationChannel(String id, CharSequence name, int importance) {
        if (android.os.Build.VERSION.SDK_INT < 26) throw new NoClassDefFoundError("NotificationChannel is API 26");
        this.id = id; this.name = name; this.importance = importance;
    }
}
