package android.content.pm;
import android.content.Intent;
public class PackageManager {
    public String leanback, launcher;
    public Intent getLeanbackLaunchIntentForPackage(String pkg) { return pkg.equals(leanback) ? new Intent("leanback:" + pkg) : null; }
    public Intent getLaunchIntentForPackage(String pkg) { return pkg.equals(launcher) ? new Intent("launcher:" + pkg) : null; }
}
