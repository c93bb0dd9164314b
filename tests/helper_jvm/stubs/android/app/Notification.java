package android.app;
import android.os.Bundle;
public class Notification {
    public Bundle extras = new Bundle();
    public String channel, category; public CharSequence title, text; public int smallIcon;
    public Object largeIcon; public PendingIntent contentIntent;
    public static class Builder {
        private final Notification n = new Notification();
        public Builder(android.content.Context context) {}
        public Builder(android.content.Context context, String channel) {
            if (android.os.Build.VERSION.SDK_INT < 26) throw new NoSuchMethodError("Builder(Context, String) is API 26");
            n.channel = channel;
        }
        public Builder setContentTitle(CharSequence t) { n.title = t; n.extras.put("android.title", t); return this; }
        public Builder setContentText(CharSequence t) { n.text = t; n.extras.put("android.text", t); return this; }
        public Builder setSmallIcon(int icon) { n.smallIcon = icon; return this; }
        public Builder setCategory(String c) { n.category = c; return this; }
        public Builder setLargeIcon(android.graphics.Bitmap b) { n.largeIcon = b; return this; }
        public Builder setLargeIcon(android.graphics.drawable.Icon i) { n.largeIcon = i; return this; }
        public Builder setContentIntent(PendingIntent p) { n.contentIntent = p; return this; }
        public Notification build() { return n; }
    }
}
