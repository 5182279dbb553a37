"""Electronic navigational charts: IHO S-57 ENC cells read through pyogrio, turned
into port-file features (``port from-enc``) and into a chart model the map draws."""
