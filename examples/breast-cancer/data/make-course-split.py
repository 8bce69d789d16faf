# How data/course-split.json was produced (run once by hand; never by the tests or CI):
#   apt-get install -y python3-sklearn   # Debian bookworm: scikit-learn 1.2.1, NumPy 1.24.2
#   python3 data/make-course-split.py     # from examples/breast-cancer
# It checks that breast_cancer.csv holds load_breast_cancer's rows in the same order, then writes the row
# indices of the course's train_test_split(X, y, test_size=0.25, random_state=0).
import json

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

X, y = load_breast_cancer(return_X_y=True)
with open("data/breast_cancer.csv") as f:
    csv = np.array([[float(v) for v in line.split(",")] for line in f.read().strip().splitlines()[1:]])
assert np.array_equal(csv[:, :30], X) and np.array_equal(csv[:, 30], y), "CSV rows differ from load_breast_cancer"

train, test = train_test_split(np.arange(len(X)), test_size=0.25, random_state=0)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)
assert np.array_equal(X[train], Xtr) and np.array_equal(X[test], Xte) and np.array_equal(y[test], yte)

note = (
    "Row indices (0-based, into data/breast_cancer.csv = sklearn.datasets.load_breast_cancer order) of "
    "sklearn.model_selection.train_test_split(X, y, test_size=0.25, random_state=0), in the order it returns them. "
    f"Produced once with scikit-learn {sklearn.__version__} and NumPy {np.__version__} (Debian bookworm's python3-sklearn): see data/README.md."
)
with open("data/course-split.json", "w") as f:
    f.write(
        '{\n  "note": ' + json.dumps(note) + ',\n  "sklearn": "' + sklearn.__version__ + '",\n'
        '  "call": "train_test_split(X, y, test_size=0.25, random_state=0)",\n'
        '  "train": ' + json.dumps(train.tolist()) + ',\n  "test": ' + json.dumps(test.tolist()) + "\n}\n"
    )
