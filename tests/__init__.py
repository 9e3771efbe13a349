"""The test suite: a package, so that pytest and the tests that import each other (``from tests.test_wechat
import Peer``) share one copy of every test module and its state."""
