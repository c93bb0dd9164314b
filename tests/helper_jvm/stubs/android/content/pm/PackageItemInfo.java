package android.content.pm;
public class PackageItemInfo { public int icon; }
