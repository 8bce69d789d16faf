"""The PyTorch peer of `pnpm bench` (bench/torch-peer.ts starts it; never a test or CI dependency).

One process for the whole bench, single-threaded, answering one JSON request per stdin line with one JSON
line on stdout, so the node bench can interleave it with its other columns round by round:

  {"op": "case", "name": ..., "kind": "matmul"|"relu"|..., "inputs": [{"file": ..., "shape": [...]}], "budget": s}
      -> {"seconds": median seconds per call} (inputs are raw float32 files the bench wrote, so the values match)
  {"op": "fit", "name": ..., "sizes": [...], "batch": b, "optimizer": "adam"|"sgd", "head": "softmax"|"sigmoid",
   "x": {"file": ..., "shape": [...]}, "labels": {"file": ..., "shape": [...]}}
      -> {"seconds": one epoch} (the first request for a net builds it and runs a warm-up epoch)
"""
import json
import os
import sys
import time

# torch.set_num_threads(1) does not reach the BLAS Debian's torch calls for matmul (OpenBLAS, pthreads):
# it started a second thread of its own until told here, before it loads.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[var] = "1"

import torch  # noqa: E402 (after the thread settings)

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

KERNELS = {
    "matmul": lambda a, b: a @ b,
    "relu": torch.relu,
    "add": torch.add,
    "mul": torch.mul,
    "exp": torch.exp,
    "sigmoid": torch.sigmoid,
    "sum": torch.sum,
    "sum_rows": lambda m: m.sum(1),
    "softmax": lambda m: torch.softmax(m, -1),
}


def load(spec):
    with open(spec["file"], "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=torch.float32).reshape(spec["shape"])


def median_seconds(fn, budget):
    """Median seconds per call over enough calls to fill `budget` seconds (at least 3), after one warm-up: as the bench's time()."""
    fn()
    samples = []
    end = time.perf_counter() + budget
    while time.perf_counter() < end or len(samples) < 3:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[len(samples) // 2]


inputs = {}


def run_case(req):
    if req["name"] not in inputs:
        inputs[req["name"]] = [load(spec) for spec in req["inputs"]]
    xs = inputs[req["name"]]
    kernel = KERNELS[req["kind"]]
    with torch.no_grad():
        return median_seconds(lambda: kernel(*xs), req["budget"])


class Net:
    """The bench's MLP: relu hidden layers, logits into the loss, the loss read every batch as fit's progress line does."""

    def __init__(self, req):
        sizes = req["sizes"]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        params = self.model.parameters()
        self.optimizer = torch.optim.Adam(params, lr=1e-3) if req["optimizer"] == "adam" else torch.optim.SGD(params, lr=0.01)
        self.softmax = req["head"] == "softmax"
        self.loss = torch.nn.CrossEntropyLoss() if self.softmax else torch.nn.BCEWithLogitsLoss()
        self.x = load(req["x"])
        labels = load(req["labels"])
        self.y = labels.long() if self.softmax else labels.reshape(-1, 1)
        self.batch = req["batch"]
        self.epoch()

    def epoch(self):
        for start in range(0, self.x.shape[0], self.batch):
            xb = self.x[start : start + self.batch]
            yb = self.y[start : start + self.batch]
            self.optimizer.zero_grad()
            loss = self.loss(self.model(xb), yb)
            loss.backward()
            self.optimizer.step()
            loss.item()


nets = {}


def run_fit(req):
    if req["name"] not in nets:
        nets[req["name"]] = Net(req)
    net = nets[req["name"]]
    t0 = time.perf_counter()
    net.epoch()
    return time.perf_counter() - t0


def main():
    # Threads as the OS counts them (Linux), after a product has started whatever BLAS starts.
    torch.ones(256, 256) @ torch.ones(256, 256)
    threads = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else torch.get_num_threads()
    print(json.dumps({"torch": torch.__version__, "threads": threads}), flush=True)
    for line in sys.stdin:
        try:
            req = json.loads(line)
            reply = {"seconds": run_case(req) if req["op"] == "case" else run_fit(req)}
        except Exception as e:  # the bench prints it and stops: a wrong request is the bench's bug
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
