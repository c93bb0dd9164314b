package android.content;
import android.os.Bundle;
public class Intent {
    public final Bundle extras = new Bundle();
    public String target;
    public Intent() {}
    public Intent(String target) { this.target = target; }
    public int getIntExtra(String key, int fallback) { Object v = extras.get(key); return v instanceof Integer ? (Integer) v : fallback; }
    public String getStringExtra(String key) { Object v = extras.get(key); return v instanceof String ? (String) v : null; }
    public Bundle getExtras() { return extras.map.isEmpty() ? null : new Bundle(extras); }
}
