package android.app;
public class Activity {
    public boolean created, finished;
    protected void onCreate(android.os.Bundle state) { created = true; }
    public void finish() { finished = true; }
}
