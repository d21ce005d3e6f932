print("server benchmark: not written yet")
