package android.content;
public abstract class BroadcastReceiver {
    public int resultCode; public String resultData;
    public abstract void onReceive(Context context, Intent intent);
    public final void setResultCode(int code) { resultCode = code; }
    public final void setResultData(String data) { resultData = data; }
}
