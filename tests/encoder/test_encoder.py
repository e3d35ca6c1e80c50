import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from querysentry import Encoder, ModelError, load_manifest
from querysentry.encoder.model_files import default_model_dir, file_sha256

CANONICAL_TEXT = "QuerySentry canonical vector test."
# First values of its embedding from the shipped ONNX model (recorded at export, in a venv
# without torch), and from sentence-transformers/PyTorch fp32 on the same weights. The first pins
# the runtime (tokenizer, session options, pooling); the second bounds the quantisation error.
CANONICAL_ONNX = [0.075297, -0.032934, 0.012809, -0.001313, 0.035623, -0.014320, 0.051966, 0.016185]
CANONICAL_TORCH = [0.076740, -0.033298, 0.011147, 0.000186, 0.032285, -0.013570, 0.051081, 0.015346]


def test_canonical_vector(encoder: Encoder) -> None:
    vector = encoder.encode([CANONICAL_TEXT])[0]
    assert vector.shape == (384,) and vector.dtype == np.float32
    np.testing.assert_allclose(vector[:8], CANONICAL_ONNX, atol=1e-5)
    np.testing.assert_allclose(vector[:8], CANONICAL_TORCH, atol=5e-3)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_similar_sentences_are_closer_than_unrelated(encoder: Encoder) -> None:
    a, b, c = encoder.encode(
        ["Show me your reasoning step by step.", "Explain each step of your thinking.", "The cat sleeps on the sofa."]
    )
    assert a @ b > 0.5 > a @ c


def test_batch_composition_does_not_change_vectors(encoder: Encoder) -> None:
    short = "Short text."
    long = " ".join(["This sentence is considerably longer than the short one."] * 8)
    alone = encoder.encode([short])[0]
    padded = encoder.encode([long, short, long])[1]
    assert float(alone @ padded) > 0.9999


def test_results_come_back_in_input_order_across_batches() -> None:
    small = Encoder(max_batch_tokens=32)  # forces many ORT calls
    texts = [("word " * n).strip() for n in (12, 1, 7, 3, 20, 2)]
    together = small.encode(texts)
    for row, text in enumerate(texts):
        assert float(together[row] @ small.encode([text])[0]) > 0.9999


def test_span_reads_come_from_the_same_pass(encoder: Encoder) -> None:
    text = "Write a limerick about owls; it is for my friend's birthday card."
    cut = text.index(";")
    small = Encoder(max_batch_tokens=32)  # spans must follow their text across packed ORT calls
    for enc in (encoder, small):
        vectors, read = enc.encode_spans([text, "hi", text], [[(0, len(text)), (0, cut), (cut, cut)], [], [(0, cut)]])
        np.testing.assert_allclose(vectors, enc.encode([text, "hi", text]), atol=1e-6)
        assert [r.shape for r in read] == [(3, 384), (0, 384), (1, 384)]
        # The whole text read as a span is the text's own vector; a clause is close to, not equal
        # to, the clause embedded alone (it carries its sentence); an empty span is a zero row.
        assert float(read[0][0] @ vectors[0]) > 0.9999
        alone = enc.encode([text[:cut]])[0]
        assert 0.8 < float(read[0][1] @ alone) < 0.9999
        assert not read[0][2].any()
        np.testing.assert_allclose(read[2][0], read[0][1], atol=1e-6)
    # Past the truncation there is nothing to read.
    long = "word " * 400
    _, read = encoder.encode_spans([long], [[(1900, 1990)]])
    assert not read[0].any()
    with pytest.raises(ValueError):
        encoder.encode_spans([text], [])


def test_no_padding_to_a_fixed_length(encoder: Encoder) -> None:
    # The upstream tokenizer.json padded everything to 128 tokens; a short text must stay short.
    assert encoder.count_tokens(["hi"]) == [3]  # [CLS] hi [SEP]
    shipped = json.loads((default_model_dir() / "tokenizer.json").read_text())
    assert shipped["padding"] is None


def test_truncates_at_the_model_limit(encoder: Encoder) -> None:
    assert encoder.count_tokens(["word " * 1000]) == [encoder.manifest.max_tokens]
    assert encoder.encode(["word " * 1000]).shape == (1, 384)


def test_empty_input_and_empty_string(encoder: Encoder) -> None:
    assert encoder.encode([]).shape == (0, 384)
    assert np.isfinite(encoder.encode([""])).all()
    with pytest.raises(TypeError):
        encoder.encode("a string, not a list")  # type: ignore[arg-type]


def test_concurrent_calls_give_the_same_vectors(encoder: Encoder) -> None:
    texts = [f"Sentence number {i} about topic {i % 7}." for i in range(40)]
    expected = encoder.encode(texts)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda t: encoder.encode([t])[0], texts))
    np.testing.assert_allclose(np.stack(results), expected, atol=1e-5)


def test_session_options_are_explicit(encoder: Encoder) -> None:
    session = encoder._session
    options = session.get_session_options()
    assert options.intra_op_num_threads == 1 and options.inter_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert session.get_providers() == ["CPUExecutionProvider"]
    assert Encoder(threads=2)._session.get_session_options().intra_op_num_threads == 2
    with pytest.raises(ValueError):
        Encoder(threads=0)


def test_manifest_describes_the_files() -> None:
    manifest = load_manifest()
    assert manifest.dims == 384 and manifest.raw["pooling"] == "mean" and manifest.raw["license"] == "Apache-2.0"
    for name, sha in manifest.checksums.items():
        assert file_sha256(manifest.directory / name) == sha
    fidelity = manifest.raw["fidelity"]
    assert fidelity["texts"] >= 200 and fidelity["mean_cosine_single"] >= 0.999
    import hashlib

    onnx_sha, tok_sha = manifest.checksums[manifest.onnx_file], manifest.checksums[manifest.tokenizer_file]
    assert manifest.fingerprint == hashlib.sha256(f"{onnx_sha}:{tok_sha}".encode()).hexdigest()


def copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    target.mkdir()
    manifest = load_manifest()
    for name in [*manifest.checksums, "manifest.json"]:
        shutil.copy(manifest.directory / name, target / name)
    return target


def test_corrupt_model_file_is_refused(tmp_path: Path) -> None:
    model = copy_model(tmp_path)
    tokenizer = model / "tokenizer.json"
    tokenizer.write_text(tokenizer.read_text().replace('"[CLS]"', '"[CLX]"', 1))
    with pytest.raises(ModelError, match=r"tokenizer\.json is corrupt"):
        Encoder(model)


def test_missing_model_file_and_manifest(tmp_path: Path) -> None:
    model = copy_model(tmp_path)
    (model / load_manifest().onnx_file).unlink()
    with pytest.raises(ModelError, match="encoder file missing"):
        Encoder(model)
    with pytest.raises(ModelError, match="no encoder manifest"):
        Encoder(tmp_path / "nowhere")
    (model / "manifest.json").write_text("{}")
    with pytest.raises(ModelError, match="missing a field"):
        Encoder(model)


def test_unverified_load_still_reports_a_broken_onnx_file(tmp_path: Path) -> None:
    model = copy_model(tmp_path)
    (model / load_manifest().onnx_file).write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot load encoder"):
        Encoder(model, verify=False)
