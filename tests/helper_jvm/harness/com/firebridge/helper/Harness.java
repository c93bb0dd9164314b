package com.firebridge.helper;

import android.app.*;
import android.content.*;
import android.graphics.Bitmap;
import android.graphics.drawable.Icon;
import android.os.Build;
import android.util.Log;
import java.util.*;

/** Drives the helper's receivers (translated from its dex) at the API level given as args[0]. */
public final class Harness {
    static int checks;

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
        checks++;
    }

    static BroadcastReceiver send(BroadcastReceiver receiver, Context context, Intent intent) {
        receiver.onReceive(context, intent);
        return receiver;
    }

    public static void main(String[] args) {
        int sdk = Integer.parseInt(args[0]);
        Build.VERSION.SDK_INT = sdk;
        Context context = new Context();
        context.packageManager.leanback = "com.example.tv";
        context.packageManager.launcher = "com.example.phone";

        Intent post = new Intent();
        post.extras.put("id", 7);
        post.extras.put("title", "Night Drive");
        post.extras.put("text", "A thriller");
        post.extras.put("launch_package", "com.example.tv");
        post.extras.put("com.amazon.extra.DISPLAY_NAME", "My App");
        post.extras.put("com.amazon.extra.RANK", 3);
        post.extras.put("com.amazon.extra.LAST_WATCHED_DATETIME", 1700000000123L);
        ArrayList<Integer> actions = new ArrayList<>(Arrays.asList(1, 101));
        post.extras.put("com.amazon.extra.ACTION_OPTION", actions);
        ArrayList<String> tags = new ArrayList<>(Collections.singletonList("UHD"));
        post.extras.put("com.amazon.extra.TAGS", tags);
        post.extras.put("not.amazon.KEY", "x");
        BroadcastReceiver r = send(new PostRecommendation(), context, post);
        check(r.resultCode == -1, "result -1, got " + r.resultCode + " " + r.resultData);
        check(("posted id=7 amazon_extras=[com.amazon.extra.ACTION_OPTION, com.amazon.extra.DISPLAY_NAME, "
                + "com.amazon.extra.LAST_WATCHED_DATETIME, com.amazon.extra.RANK, com.amazon.extra.TAGS]")
                .equals(r.resultData), "data: " + r.resultData);
        Notification n = context.manager.posted.get(7);
        check(n != null, "notified id 7");
        check("recommendation".equals(n.category), "category");
        check("Night Drive".equals(String.valueOf(n.title)) && "A thriller".equals(String.valueOf(n.text)), "title/text");
        check(n.smallIcon == 0x7f020000, "small icon = app icon");
        check(n.extras.get("com.amazon.extra.RANK") instanceof Integer, "RANK stays an Integer");
        check(n.extras.get("com.amazon.extra.LAST_WATCHED_DATETIME") instanceof Long, "Long stays a Long");
        check(actions.equals(n.extras.get("com.amazon.extra.ACTION_OPTION")), "ArrayList<Integer> copied");
        check(tags.equals(n.extras.get("com.amazon.extra.TAGS")), "ArrayList<String> copied");
        check(!n.extras.map.containsKey("not.amazon.KEY") && !n.extras.map.containsKey("id"), "only com.amazon.extra.*");
        check(n.contentIntent != null && n.contentIntent.requestCode == 7 && n.contentIntent.flags == 0x08000000
                && "leanback:com.example.tv".equals(n.contentIntent.intent.target), "leanback content intent");
        if (sdk >= 26) {
            NotificationChannel channel = context.manager.channels.get("firebridge_recommendations");
            check(channel != null && channel.importance == 2 && "Recommendations".equals(String.valueOf(channel.name)),
                    "channel LOW");
            check("firebridge_recommendations".equals(n.channel), "posted to the channel");
            check(n.largeIcon instanceof Icon && ((Icon) n.largeIcon).res == 0x7f020000, "large icon = app icon resource");
        } else {
            check(context.manager.channels.isEmpty() && n.channel == null, "no channel below 26");
            check(n.largeIcon instanceof Bitmap && "res:7f020000".equals(((Bitmap) n.largeIcon).from), "large icon bitmap");
        }
        check(Log.lines.get(Log.lines.size() - 1).equals("I/FireBridgeHelper: " + r.resultData), "logged");

        r = send(new PostRecommendation(), context, new Intent());
        check(r.resultCode == -1 && "posted id=1 amazon_extras=[]".equals(r.resultData), "defaults: " + r.resultData);
        n = context.manager.posted.get(1);
        check("FireBridge recommendation".equals(String.valueOf(n.title)) && n.text == null && n.contentIntent == null,
                "default title, no text, no intent");

        Intent icon = new Intent();
        icon.extras.put("id", 2);
        icon.extras.put("large_icon_path", "/data/local/tmp/card.png");
        icon.extras.put("launch_package", "com.example.phone");
        send(new PostRecommendation(), context, icon);
        n = context.manager.posted.get(2);
        check(n.largeIcon instanceof Bitmap && "file:/data/local/tmp/card.png".equals(((Bitmap) n.largeIcon).from), "file icon");
        check("launcher:com.example.phone".equals(n.contentIntent.intent.target), "launcher fallback");
        icon.extras.put("launch_package", "com.unknown");
        icon.extras.put("large_icon_path", "/nope.txt");
        send(new PostRecommendation(), context, icon);
        n = context.manager.posted.get(2);
        check(n.contentIntent == null, "unknown package: no content intent");
        check(!(n.largeIcon instanceof Bitmap && ((Bitmap) n.largeIcon).from.startsWith("file:")), "undecodable file: app icon");

        Intent cancel = new Intent();
        cancel.extras.put("id", 7);
        r = send(new Cancel(), context, cancel);
        check(r.resultCode == -1 && "cancelled id=7".equals(r.resultData) && !context.manager.posted.containsKey(7), "cancel");
        r = send(new CancelAll(), context, new Intent());
        check(r.resultCode == -1 && "cancelled all".equals(r.resultData) && context.manager.posted.isEmpty(), "cancel all");

        Context broken = new Context() {
            @Override public Object getSystemService(String name) { return null; }
        };
        r = send(new PostRecommendation(), broken, new Intent());
        check(r.resultCode == 1 && r.resultData.startsWith("error: java.lang.NullPointerException"), "error: " + r.resultData);
        check(Log.lines.get(Log.lines.size() - 1).startsWith("E/FireBridgeHelper: error: "), "error logged");
        r = send(new CancelAll(), broken, new Intent());
        check(r.resultCode == 1 && r.resultData.startsWith("error: "), "cancel all error");

        Main main = new Main();
        main.onCreate(null);
        check(main.created && main.finished, "Main finishes at once");
        System.out.println("OK " + checks + " checks at API " + sdk);
    }
}
