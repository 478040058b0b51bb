"""Page layouts: the app shell, the screen index, and one wall screen."""
