"""The scheduler: stock checks every morning, the full pack every night, each run once.

`config` reads the schedules and alert settings, `loop` fires jobs at their cron times with an
injectable `clock`, `runs` runs one job under its database `lock` and records it, `jobs` holds
the job functions by name, and `alerts` sends the digest of the stock flags a run opened.
"""
