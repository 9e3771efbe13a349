## 服务首页 GET /（bot/status.py）：说明正在运行什么，链接到已有的页面。

home-title = 医保办事助手 · 服务正在运行
home-intro = 这是医保办事助手的服务端。居民通过已接入的渠道和它对话；这个页面只给运维人员看。
home-channels = 已接入的渠道：{ $channels }
home-no-channels = 还没有接入任何渠道（设置 WECHAT_TOKEN 或 TELEGRAM_BOT_TOKEN 后启用）。
home-store = 会话存储：{ $store }
home-store-redis = Redis（REDIS_URL）
home-store-embedded = 内嵌存储（进程内，不共享、重启即清空；生产环境请设置 REDIS_URL）
home-links = 可以打开：
home-link-web = 网页聊天
home-link-console = 人工客服工作台
home-link-healthz = 存活检查
home-link-readyz = 就绪检查（Redis 和各渠道）
home-link-metrics = Prometheus 指标
home-link-funnel = 对话漏斗图
home-try = 在终端里试聊：make chat
