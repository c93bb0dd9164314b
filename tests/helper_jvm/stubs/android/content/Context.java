package android.content;
import android.app.NotificationManager;
import android.content.pm.*;
import android.content.res.Resources;
public class Context {
    public final NotificationManager manager = new NotificationManager();
    public final PackageManager packageManager = new PackageManager();
    public ApplicationInfo getApplicationInfo() { ApplicationInfo info = new ApplicationInfo(); info.icon = 0x7f020000; return info; }
    public Object getSystemService(String name) { return "notification".equals(name) ? manager : null; }
    public Resources getResources() { return new Resources(); }
    public PackageManager getPackageManager() { return packageManager; }
}
