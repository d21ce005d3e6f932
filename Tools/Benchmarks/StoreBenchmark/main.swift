print("store-benchmark")
