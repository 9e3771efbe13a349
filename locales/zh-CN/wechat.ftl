## WeChat official account channel (adapters/wechat.py).

wechat-unsupported-type = 抱歉,我目前只能看懂文字消息,图片、语音、视频、位置和链接都读不了。请直接用文字告诉我您想办什么,或者回复"菜单"查看我能帮您办的事。
wechat-truncated = (内容较长,这里只显示了前面一部分。完整的办理说明请以当地医保公众号或窗口为准,也可以回复"转人工"或拨打 { $hotline }。)
