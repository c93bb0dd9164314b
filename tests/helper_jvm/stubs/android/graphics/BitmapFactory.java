package android.graphics;
import android.content.res.Resources;
public class BitmapFactory {
    public static Bitmap decodeFile(String path) { return path.endsWith(".png") ? new Bitmap("file:" + path) : null; }
    public static Bitmap decodeResource(Resources res, int id) { return new Bitmap("res:" + Integer.toHexString(id)); }
}
