// placeholder until the wire-format tests land
