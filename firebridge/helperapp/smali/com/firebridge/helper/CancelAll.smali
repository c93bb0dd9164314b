# Java:
#   public final class CancelAll extends BroadcastReceiver {
#       @Override public void onReceive(Context context, Intent intent) {
#           String data;
#           try {
#               data = Poster.cancelAll(context);
#           } catch (Throwable t) {
#               Poster.reply(this, 1, Poster.error(t));   // result 1, "error: <exception>"
#               return;
#           }
#           Poster.reply(this, -1, data);                 // Activity.RESULT_OK
#       }
#   }
.class public final Lcom/firebridge/helper/CancelAll;
.super Landroid/content/BroadcastReceiver;
.source "CancelAll.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V
    return-void
.end method

.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .registers 5
    :try_start
    invoke-static {p1}, Lcom/firebridge/helper/Poster;->cancelAll(Landroid/content/Context;)Ljava/lang/String;
    move-result-object v0
    :try_end
    .catch Ljava/lang/Throwable; {:try_start .. :try_end} :catch
    const/4 v1, -0x1
    invoke-static {p0, v1, v0}, Lcom/firebridge/helper/Poster;->reply(Landroid/content/BroadcastReceiver;ILjava/lang/String;)V
    return-void

    :catch
    move-exception v0
    invoke-static {v0}, Lcom/firebridge/helper/Poster;->error(Ljava/lang/Throwable;)Ljava/lang/String;
    move-result-object v0
    const/4 v1, 0x1
    invoke-static {p0, v1, v0}, Lcom/firebridge/helper/Poster;->reply(Landroid/content/BroadcastReceiver;ILjava/lang/String;)V
    return-void
.end method
