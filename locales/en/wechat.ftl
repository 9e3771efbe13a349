## WeChat official account channel (adapters/wechat.py).

wechat-unsupported-type = Sorry, I can only read text messages for now — not pictures, voice, video, locations or links. Please tell me in words what you need, or reply "menu" to see what I can help with.
wechat-truncated = (This answer is long, so only the first part is shown here. For the full steps, check your local medical-insurance official account or service window, reply "agent", or call { $hotline }.)
