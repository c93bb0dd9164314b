# Java:
#   /** The receivers' work. Each method returns the text the receiver answers with. */
#   final class Poster {
#       static final String TAG = "FireBridgeHelper";
#       static final String AMAZON = "com.amazon.extra.";
#
#       static String post(Context context, Intent intent) {
#           int id = intent.getIntExtra("id", 1);
#           Notification.Builder b = Build.VERSION.SDK_INT >= 26
#                   ? Api26.builder(context) : new Notification.Builder(context);
#           String title = intent.getStringExtra("title");
#           b.setContentTitle(title != null ? title : "FireBridge recommendation");
#           String text = intent.getStringExtra("text");
#           if (text != null) b.setContentText(text);
#           int icon = context.getApplicationInfo().icon;
#           b.setSmallIcon(icon);
#           b.setCategory("recommendation");                 // Notification.CATEGORY_RECOMMENDATION
#           String path = intent.getStringExtra("large_icon_path");
#           Bitmap large = path != null ? BitmapFactory.decodeFile(path) : null;
#           if (large != null) b.setLargeIcon(large);
#           else if (Build.VERSION.SDK_INT >= 26) Api26.largeIcon(b, context, icon);
#           else b.setLargeIcon(BitmapFactory.decodeResource(context.getResources(), icon));
#           String pkg = intent.getStringExtra("launch_package");
#           if (pkg != null) {
#               PackageManager pm = context.getPackageManager();
#               Intent launch = pm.getLeanbackLaunchIntentForPackage(pkg);
#               if (launch == null) launch = pm.getLaunchIntentForPackage(pkg);
#               if (launch != null)
#                   b.setContentIntent(PendingIntent.getActivity(context, id, launch,
#                           PendingIntent.FLAG_UPDATE_CURRENT));
#           }
#           Notification n = b.build();
#           Bundle amazon = amazonExtras(intent.getExtras());
#           n.extras.putAll(amazon);
#           manager(context).notify(id, n);
#           return "posted id=" + id + " amazon_extras=" + new TreeSet<String>(amazon.keySet());
#       }
#
#       /** Every com.amazon.extra.* extra, each with the type it arrived with (no per-type code). */
#       static Bundle amazonExtras(Bundle extras) {
#           Bundle out = extras == null ? new Bundle() : new Bundle(extras);
#           for (String key : new ArrayList<String>(out.keySet()))   // a copy: remove() changes keySet
#               if (!key.startsWith(AMAZON)) out.remove(key);
#           return out;
#       }
#
#       static String cancel(Context context, Intent intent) {
#           int id = intent.getIntExtra("id", 1);
#           manager(context).cancel(id);
#           return "cancelled id=" + id;
#       }
#
#       static String cancelAll(Context context) {
#           manager(context).cancelAll();
#           return "cancelled all";
#       }
#
#       static NotificationManager manager(Context context) {
#           return (NotificationManager) context.getSystemService(Context.NOTIFICATION_SERVICE);
#       }
#
#       static String error(Throwable t) {
#           return "error: " + t;
#       }
#
#       /** Answer the ordered broadcast (am broadcast prints it) and log the same text. */
#       static void reply(BroadcastReceiver receiver, int code, String data) {
#           receiver.setResultCode(code);
#           receiver.setResultData(data);
#           if (code < 0) Log.i(TAG, data); else Log.e(TAG, data);
#       }
#   }
.class final Lcom/firebridge/helper/Poster;
.super Ljava/lang/Object;
.source "Poster.java"

.method static post(Landroid/content/Context;Landroid/content/Intent;)Ljava/lang/String;
    .registers 10
    # v0 id, v1 builder then notification, v4 icon; p0 context, p1 intent
    const-string v0, "id"
    const/4 v1, 0x1
    invoke-virtual {p1, v0, v1}, Landroid/content/Intent;->getIntExtra(Ljava/lang/String;I)I
    move-result v0

    sget v1, Landroid/os/Build$VERSION;->SDK_INT:I
    const/16 v2, 0x1a
    if-lt v1, v2, :old_builder
    invoke-static {p0}, Lcom/firebridge/helper/Api26;->builder(Landroid/content/Context;)Landroid/app/Notification$Builder;
    move-result-object v1
    goto :have_builder
    :old_builder
    new-instance v1, Landroid/app/Notification$Builder;
    invoke-direct {v1, p0}, Landroid/app/Notification$Builder;-><init>(Landroid/content/Context;)V
    :have_builder

    const-string v2, "title"
    invoke-virtual {p1, v2}, Landroid/content/Intent;->getStringExtra(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    if-nez v2, :have_title
    const-string v2, "FireBridge recommendation"
    :have_title
    invoke-virtual {v1, v2}, Landroid/app/Notification$Builder;->setContentTitle(Ljava/lang/CharSequence;)Landroid/app/Notification$Builder;

    const-string v2, "text"
    invoke-virtual {p1, v2}, Landroid/content/Intent;->getStringExtra(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    if-eqz v2, :no_text
    invoke-virtual {v1, v2}, Landroid/app/Notification$Builder;->setContentText(Ljava/lang/CharSequence;)Landroid/app/Notification$Builder;
    :no_text

    invoke-virtual {p0}, Landroid/content/Context;->getApplicationInfo()Landroid/content/pm/ApplicationInfo;
    move-result-object v2
    iget v4, v2, Landroid/content/pm/ApplicationInfo;->icon:I
    invoke-virtual {v1, v4}, Landroid/app/Notification$Builder;->setSmallIcon(I)Landroid/app/Notification$Builder;
    const-string v2, "recommendation"
    invoke-virtual {v1, v2}, Landroid/app/Notification$Builder;->setCategory(Ljava/lang/String;)Landroid/app/Notification$Builder;

    const-string v2, "large_icon_path"
    invoke-virtual {p1, v2}, Landroid/content/Intent;->getStringExtra(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    const/4 v3, 0x0
    if-eqz v2, :no_path
    invoke-static {v2}, Landroid/graphics/BitmapFactory;->decodeFile(Ljava/lang/String;)Landroid/graphics/Bitmap;
    move-result-object v3
    :no_path
    if-eqz v3, :app_icon
    invoke-virtual {v1, v3}, Landroid/app/Notification$Builder;->setLargeIcon(Landroid/graphics/Bitmap;)Landroid/app/Notification$Builder;
    goto :large_done
    :app_icon
    sget v2, Landroid/os/Build$VERSION;->SDK_INT:I
    const/16 v3, 0x1a
    if-lt v2, v3, :old_icon
    invoke-static {v1, p0, v4}, Lcom/firebridge/helper/Api26;->largeIcon(Landroid/app/Notification$Builder;Landroid/content/Context;I)V
    goto :large_done
    :old_icon
    invoke-virtual {p0}, Landroid/content/Context;->getResources()Landroid/content/res/Resources;
    move-result-object v2
    invoke-static {v2, v4}, Landroid/graphics/BitmapFactory;->decodeResource(Landroid/content/res/Resources;I)Landroid/graphics/Bitmap;
    move-result-object v2
    invoke-virtual {v1, v2}, Landroid/app/Notification$Builder;->setLargeIcon(Landroid/graphics/Bitmap;)Landroid/app/Notification$Builder;
    :large_done

    const-string v2, "launch_package"
    invoke-virtual {p1, v2}, Landroid/content/Intent;->getStringExtra(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v2
    if-eqz v2, :no_launch
    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v3
    invoke-virtual {v3, v2}, Landroid/content/pm/PackageManager;->getLeanbackLaunchIntentForPackage(Ljava/lang/String;)Landroid/content/Intent;
    move-result-object v5
    if-nez v5, :have_launch
    invoke-virtual {v3, v2}, Landroid/content/pm/PackageManager;->getLaunchIntentForPackage(Ljava/lang/String;)Landroid/content/Intent;
    move-result-object v5
    if-eqz v5, :no_launch
    :have_launch
    const/high16 v6, 0x8000000
    invoke-static {p0, v0, v5, v6}, Landroid/app/PendingIntent;->getActivity(Landroid/content/Context;ILandroid/content/Intent;I)Landroid/app/PendingIntent;
    move-result-object v6
    invoke-virtual {v1, v6}, Landroid/app/Notification$Builder;->setContentIntent(Landroid/app/PendingIntent;)Landroid/app/Notification$Builder;
    :no_launch

    invoke-virtual {v1}, Landroid/app/Notification$Builder;->build()Landroid/app/Notification;
    move-result-object v1
    invoke-virtual {p1}, Landroid/content/Intent;->getExtras()Landroid/os/Bundle;
    move-result-object v2
    invoke-static {v2}, Lcom/firebridge/helper/Poster;->amazonExtras(Landroid/os/Bundle;)Landroid/os/Bundle;
    move-result-object v2
    iget-object v3, v1, Landroid/app/Notification;->extras:Landroid/os/Bundle;
    invoke-virtual {v3, v2}, Landroid/os/Bundle;->putAll(Landroid/os/Bundle;)V
    invoke-static {p0}, Lcom/firebridge/helper/Poster;->manager(Landroid/content/Context;)Landroid/app/NotificationManager;
    move-result-object v3
    invoke-virtual {v3, v0, v1}, Landroid/app/NotificationManager;->notify(ILandroid/app/Notification;)V

    new-instance v3, Ljava/util/TreeSet;
    invoke-virtual {v2}, Landroid/os/Bundle;->keySet()Ljava/util/Set;
    move-result-object v4
    invoke-direct {v3, v4}, Ljava/util/TreeSet;-><init>(Ljava/util/Collection;)V
    new-instance v4, Ljava/lang/StringBuilder;
    invoke-direct {v4}, Ljava/lang/StringBuilder;-><init>()V
    const-string v5, "posted id="
    invoke-virtual {v4, v5}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v4, v0}, Ljava/lang/StringBuilder;->append(I)Ljava/lang/StringBuilder;
    const-string v5, " amazon_extras="
    invoke-virtual {v4, v5}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v4, v3}, Ljava/lang/StringBuilder;->append(Ljava/lang/Object;)Ljava/lang/StringBuilder;
    invoke-virtual {v4}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v4
    return-object v4
.end method

.method static amazonExtras(Landroid/os/Bundle;)Landroid/os/Bundle;
    .registers 5
    if-nez p0, :copy
    new-instance v0, Landroid/os/Bundle;
    invoke-direct {v0}, Landroid/os/Bundle;-><init>()V
    goto :filter
    :copy
    new-instance v0, Landroid/os/Bundle;
    invoke-direct {v0, p0}, Landroid/os/Bundle;-><init>(Landroid/os/Bundle;)V
    :filter
    new-instance v1, Ljava/util/ArrayList;
    invoke-virtual {v0}, Landroid/os/Bundle;->keySet()Ljava/util/Set;
    move-result-object v2
    invoke-direct {v1, v2}, Ljava/util/ArrayList;-><init>(Ljava/util/Collection;)V
    invoke-virtual {v1}, Ljava/util/ArrayList;->iterator()Ljava/util/Iterator;
    move-result-object v1
    :loop
    invoke-interface {v1}, Ljava/util/Iterator;->hasNext()Z
    move-result v2
    if-eqz v2, :done
    invoke-interface {v1}, Ljava/util/Iterator;->next()Ljava/lang/Object;
    move-result-object v2
    check-cast v2, Ljava/lang/String;
    const-string v3, "com.amazon.extra."
    invoke-virtual {v2, v3}, Ljava/lang/String;->startsWith(Ljava/lang/String;)Z
    move-result v3
    if-nez v3, :loop
    invoke-virtual {v0, v2}, Landroid/os/Bundle;->remove(Ljava/lang/String;)V
    goto :loop
    :done
    return-object v0
.end method

.method static cancel(Landroid/content/Context;Landroid/content/Intent;)Ljava/lang/String;
    .registers 5
    const-string v0, "id"
    const/4 v1, 0x1
    invoke-virtual {p1, v0, v1}, Landroid/content/Intent;->getIntExtra(Ljava/lang/String;I)I
    move-result v0
    invoke-static {p0}, Lcom/firebridge/helper/Poster;->manager(Landroid/content/Context;)Landroid/app/NotificationManager;
    move-result-object v1
    invoke-virtual {v1, v0}, Landroid/app/NotificationManager;->cancel(I)V
    new-instance v1, Ljava/lang/StringBuilder;
    invoke-direct {v1}, Ljava/lang/StringBuilder;-><init>()V
    const-string v2, "cancelled id="
    invoke-virtual {v1, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v1, v0}, Ljava/lang/StringBuilder;->append(I)Ljava/lang/StringBuilder;
    invoke-virtual {v1}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v1
    return-object v1
.end method

.method static cancelAll(Landroid/content/Context;)Ljava/lang/String;
    .registers 2
    invoke-static {p0}, Lcom/firebridge/helper/Poster;->manager(Landroid/content/Context;)Landroid/app/NotificationManager;
    move-result-object v0
    invoke-virtual {v0}, Landroid/app/NotificationManager;->cancelAll()V
    const-string v0, "cancelled all"
    return-object v0
.end method

.method static manager(Landroid/content/Context;)Landroid/app/NotificationManager;
    .registers 2
    const-string v0, "notification"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/app/NotificationManager;
    return-object v0
.end method

.method static error(Ljava/lang/Throwable;)Ljava/lang/String;
    .registers 3
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {v0}, Ljava/lang/StringBuilder;-><init>()V
    const-string v1, "error: "
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v0, p0}, Ljava/lang/StringBuilder;->append(Ljava/lang/Object;)Ljava/lang/StringBuilder;
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method

.method static reply(Landroid/content/BroadcastReceiver;ILjava/lang/String;)V
    .registers 4
    invoke-virtual {p0, p1}, Landroid/content/BroadcastReceiver;->setResultCode(I)V
    invoke-virtual {p0, p2}, Landroid/content/BroadcastReceiver;->setResultData(Ljava/lang/String;)V
    const-string v0, "FireBridgeHelper"
    if-ltz p1, :ok
    invoke-static {v0, p2}, Landroid/util/Log;->e(Ljava/lang/String;Ljava/lang/String;)I
    return-void
    :ok
    invoke-static {v0, p2}, Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I
    return-void
.end method
