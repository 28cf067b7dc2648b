"""The app's version, in one place: the package, the workbooks it writes and the error log all read it here."""

__version__ = "0.2.0"
