"""Background jobs: written to the database before they are queued, claimed with a lease.

``store`` holds the job table's state changes, ``process`` runs one job, and the queues
(``local`` in-process pool, ``celery`` on Redis, ``inline`` in the caller's thread) only
decide *where* ``process_job`` runs.
"""
