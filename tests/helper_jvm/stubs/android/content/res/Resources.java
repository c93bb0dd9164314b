package android.content.res;
public class Resources {}
