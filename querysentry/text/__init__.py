"""Pure text steps: normalisation and segmentation."""

from querysentry.text.normalize import NormalizedText, normalize
from querysentry.text.segment import Segment, SegmentationConfig, segment_messages

__all__ = ["NormalizedText", "Segment", "SegmentationConfig", "normalize", "segment_messages"]
