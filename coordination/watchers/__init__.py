"""Watching an action item, and mentions of colleagues in its comments: a watcher is told of
every event of the item (coordination/reminders/notices.py), a mention tells its colleague
and makes them a watcher."""
