"""Images per second for torchvision's transforms (one thread, float CHW tensors, one image at a time as a
Dataset would), printed as JSON for bench.ts to put beside its own numbers. Needs Debian's
python3-torchvision: /usr/bin/python3 torchvision_bench.py"""
import json
import time

import torch
import torchvision.transforms as T
from torchvision.transforms import InterpolationMode

torch.set_num_threads(1)
torch.manual_seed(0)
B = InterpolationMode.BILINEAR


def rate(fn, images, budget=0.8):
    for x in images[:2]:
        fn(x)
    samples = []
    end = time.perf_counter() + budget
    while time.perf_counter() < end or len(samples) < 3:
        t0 = time.perf_counter()
        for x in images:
            fn(x)
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return len(images) / samples[len(samples) // 2]


out = {}
for label, n, h, w, c in (('28x28x1', 256, 28, 28, 1), ('224x224x3', 8, 224, 224, 3)):
    images = list(torch.rand((n, c, h, w)))
    crop = round(h * 0.875)
    cases = {
        'randomFlip': T.RandomHorizontalFlip(p=1),
        'randomRotation bilinear': T.RandomRotation(30, interpolation=B),
        'randomRotation nearest': T.RandomRotation(30),
        'randomAffine': T.RandomAffine(30, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=10, interpolation=B),
        'randomCrop': T.RandomCrop((h, w), padding=4),
        'randomResizedCrop': T.RandomResizedCrop(crop, antialias=False),
        'gaussianNoise': lambda x: (x + 0.1 * torch.randn_like(x)).clamp_(0, 1),
        'randomErasing': T.RandomErasing(p=1),
    }
    for name, fn in cases.items():
        out[f'{name} {label}'] = rate(fn, images)
print(json.dumps(out))
