package android.os;
import java.util.*;
public class Bundle {
    public final LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    public Bundle() {}
    public Bundle(Bundle other) { map.putAll(other.map); }
    public Set<String> keySet() { return map.keySet(); }
    public void remove(String key) { map.remove(key); }
    public void putAll(Bundle other) { map.putAll(other.map); }
    public Object get(String key) { return map.get(key); }
    public void put(String key, Object value) { map.put(key, value); }
}
