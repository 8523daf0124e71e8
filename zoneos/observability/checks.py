"""`manage.py check`: a multiprocess folder that cannot be written would leave the requests uncounted."""

import os

from django.core.checks import Error, register

from . import metrics


@register()
def multiprocess_dir_is_writable(app_configs, **kwargs):
    folder = metrics.multiprocess_dir()
    if folder and not (os.path.isdir(folder) and os.access(folder, os.W_OK)):
        return [
            Error(
                f"PROMETHEUS_MULTIPROC_DIR={folder} is not a folder this process can write to.",
                hint="Create it empty when the service starts (systemd: RuntimeDirectory=), or unset it.",
                id="zoneos.observability.E001",
            )
        ]
    return []
