"""Static files as production collects them: names carrying a hash of the content (cached for a year)
and a gzip copy beside each, which nginx (`gzip_static`) and WhiteNoise send to browsers that accept it.

No brotli copy: Debian's nginx cannot send one, and writing them (brotli at its highest quality, about
0.6 MB/s) took most of `collectstatic`'s time: measured on this machine, 51 s of CPU with them, 4.4 s
without."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedGzipStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "use_brotli": False})
