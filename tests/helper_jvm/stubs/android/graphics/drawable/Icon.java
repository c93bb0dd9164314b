package android.graphics.drawable;
import android.content.Context;
import android.os.Build;
public class Icon {
    public final int res;
    private Icon(int res) { this.res = res; }
    public static Icon createWithResource(Context context, int res) {
        if (Build.VERSION.SDK_INT < 23) throw new NoSuchMethodError("Icon is API 23");
        return new Icon(res);
    }
}
