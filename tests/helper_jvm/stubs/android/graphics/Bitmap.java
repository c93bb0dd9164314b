package android.graphics;
public class Bitmap { public final String from; public Bitmap(String from) { this.from = from; } }
