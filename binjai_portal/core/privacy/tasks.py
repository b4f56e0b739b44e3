from celery import shared_task


@shared_task
def retention_run_task() -> dict:
    """The nightly retention job; the run's report is stored for the DPO."""
    from .services import retention_run

    run = retention_run()
    return {"run": run.pk, "total": run.total, "report": run.report}
