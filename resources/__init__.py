"""Plan source, icons and other files shipped with the app."""
