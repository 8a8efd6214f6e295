"""Real-browser tests: the app served by uvicorn on loopback, driven by Playwright in Chromium."""
