# Java:
#   /** API 26+ only: Poster calls it behind Build.VERSION.SDK_INT >= 26, so API 22-25 never load
#    *  NotificationChannel or the API 23 Icon class. */
#   final class Api26 {
#       static final String CHANNEL = "firebridge_recommendations";
#
#       static Notification.Builder builder(Context context) {
#           // Creating an existing channel again does nothing (its importance stays as created).
#           NotificationChannel channel = new NotificationChannel(CHANNEL, "Recommendations",
#                   NotificationManager.IMPORTANCE_LOW);   // 2: no sound, no heads-up
#           Poster.manager(context).createNotificationChannel(channel);
#           return new Notification.Builder(context, CHANNEL);
#       }
#
#       static void largeIcon(Notification.Builder builder, Context context, int res) {
#           builder.setLargeIcon(Icon.createWithResource(context, res));
#       }
#   }
.class final Lcom/firebridge/helper/Api26;
.super Ljava/lang/Object;
.source "Api26.java"

.method static builder(Landroid/content/Context;)Landroid/app/Notification$Builder;
    .registers 5
    new-instance v0, Landroid/app/NotificationChannel;
    const-string v1, "firebridge_recommendations"
    const-string v2, "Recommendations"
    const/4 v3, 0x2
    invoke-direct {v0, v1, v2, v3}, Landroid/app/NotificationChannel;-><init>(Ljava/lang/String;Ljava/lang/CharSequence;I)V
    invoke-static {p0}, Lcom/firebridge/helper/Poster;->manager(Landroid/content/Context;)Landroid/app/NotificationManager;
    move-result-object v2
    invoke-virtual {v2, v0}, Landroid/app/NotificationManager;->createNotificationChannel(Landroid/app/NotificationChannel;)V
    new-instance v0, Landroid/app/Notification$Builder;
    invoke-direct {v0, p0, v1}, Landroid/app/Notification$Builder;-><init>(Landroid/content/Context;Ljava/lang/String;)V
    return-object v0
.end method

.method static largeIcon(Landroid/app/Notification$Builder;Landroid/content/Context;I)V
    .registers 4
    invoke-static {p1, p2}, Landroid/graphics/drawable/Icon;->createWithResource(Landroid/content/Context;I)Landroid/graphics/drawable/Icon;
    move-result-object v0
    invoke-virtual {p0, v0}, Landroid/app/Notification$Builder;->setLargeIcon(Landroid/graphics/drawable/Icon;)Landroid/app/Notification$Builder;
    return-void
.end method
