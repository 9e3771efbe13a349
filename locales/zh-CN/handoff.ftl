## Operator handoff (bot/handoff.py).

handoff-queued = 好的,正在为您转接人工客服。您的工单号是 { $ticket },前面还有 { $ahead } 位在排队。客服接入后会直接在这里回复您,请稍等;您接着发的消息也会转给客服。
handoff-after-hours = 现在不是人工客服的工作时间(工作时间:{ $hours })。您可以先留言,上班后会按顺序回复;着急的话也可以拨打 { $hotline }。
handoff-how-to-cancel = 不需要人工了,可以回复「取消」。
handoff-cancelled = 好的,已取消人工服务,您可以继续用机器人办理。
handoff-closed-user = 人工客服已结束本次服务,感谢您的耐心。接下来可以继续用机器人办理,回复「菜单」看全部功能。
handoff-operator-says = 客服:{ $text }
opt-handoff-cancel = 取消人工
# an operator's message kept for a channel that cannot push, shown as it was sent
handoff-relayed = { $text }
