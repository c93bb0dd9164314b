package android.app;
import android.content.*;
public class PendingIntent {
    public final int requestCode, flags; public final Intent intent;
    private PendingIntent(int requestCode, Intent intent, int flags) { this.requestCode = requestCode; this.intent = intent; this.flags = flags; }
    public static PendingIntent getActivity(Context context, int requestCode, Intent intent, int flags) { return new PendingIntent(requestCode, intent, flags); }
}
