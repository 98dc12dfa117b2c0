"""Fakes for tests. Every faked component also has a test against the real one (the speaker: tests/voice)."""

from calmpay.testing.speaker import RecordingSpeaker, Utterance

__all__ = ["RecordingSpeaker", "Utterance"]
