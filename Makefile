# Convenience targets; ./pv is the front door (./pv help).
.PHONY: demo test unit bench
demo:
	./pv demo
test:
	./pv test
unit:
	./pv unit
bench:
	./pv bench
