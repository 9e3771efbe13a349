## The service's home page GET / (bot/status.py): what is running, with links to what is there.

home-title = Medical-insurance errand assistant · service running
home-intro = This is the server of the medical-insurance errand assistant. Residents talk to it through the connected channels; this page is for the people running it.
home-channels = Connected channels: { $channels }
home-no-channels = No channel is connected yet (set WECHAT_TOKEN or TELEGRAM_BOT_TOKEN to enable one).
home-store = Session store: { $store }
home-store-redis = Redis (REDIS_URL)
home-store-embedded = embedded (in this process, not shared, emptied on restart; set REDIS_URL in production)
home-links = Open:
home-link-web = web chat
home-link-console = operator console
home-link-healthz = liveness check
home-link-readyz = readiness check (Redis and the channels)
home-link-metrics = Prometheus metrics
home-link-funnel = conversation funnel chart
home-try = Try it in a terminal: make chat
