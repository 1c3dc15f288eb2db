"""Files and the network: reading rotation and schedule files safely, writing them
atomically, locking a schedule, posting to chat webhooks. Above core; knows nothing of the
planner, which knows nothing of files."""
