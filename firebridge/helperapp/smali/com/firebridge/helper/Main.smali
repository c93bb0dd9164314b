# Java:
#   public final class Main extends Activity {       // android:theme="@android:style/Theme.NoDisplay"
#       @Override protected void onCreate(Bundle state) {
#           super.onCreate(state);
#           finish();  // nothing to show: launching it once only clears the "stopped" state
#       }
#   }
.class public final Lcom/firebridge/helper/Main;
.super Landroid/app/Activity;
.source "Main.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 2
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-virtual {p0}, Lcom/firebridge/helper/Main;->finish()V
    return-void
.end method
