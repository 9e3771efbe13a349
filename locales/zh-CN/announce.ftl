## 通知订阅（bot/announcements/）：订阅与退订本机器人的公告。

announce-subscribed = 已订阅通知。政策变化、缴费截止等重要消息会发给您。随时发送 /unsubscribe 即可退订。
announce-already-subscribed = 您已经订阅了通知。如需退订，请发送 /unsubscribe。
announce-unsubscribed = 已退订，之后不会再收到通知。想重新订阅，请发送 /subscribe。
announce-not-subscribed = 您还没有订阅通知。发送 /subscribe 即可订阅。
announce-private-only = 请在与我的私聊中发送 /subscribe 或 /unsubscribe。
announce-admin-only = 只有本机器人的管理员可以执行此操作。
announce-cmd-subscribe = 订阅通知（政策变化、缴费截止等）
announce-cmd-unsubscribe = 退订通知

## 现成的公告，供 `announce create --locale-id …` 使用（每位收件人收到自己语言的版本）。
announce-maintenance = 本机器人即将短暂维护，您的办理进度已保存，请稍后再试。急事请拨打 { $hotline }。
