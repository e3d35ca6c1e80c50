"""The sentence encoder (ONNX Runtime + HF tokenizers) and its shipped model files."""

from querysentry.encoder.model_files import ModelManifest, default_model_dir, load_manifest
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.encoder.pooling import l2_normalize, mean_pool

__all__ = ["Encoder", "ModelManifest", "default_model_dir", "l2_normalize", "load_manifest", "mean_pool"]
