@fixture @capability-delayHandshake
Feature: Handshake middleware that takes its time holds back only its own client
  Handshake middleware runs once per connection: HANDSHAKE_WS before the WebSocket upgrade is
  accepted, HANDSHAKE_SC before the #handshake is answered. When it waits before allowing, only that
  connection waits: other clients connect meanwhile, and the waiting client connects once the
  middleware allows. The fixture (optional capability delayHandshake) waits 2000 ms in HANDSHAKE_WS
  for a connection whose URL query has conformanceDelayHandshake=ws, and in HANDSHAKE_SC for
  conformanceDelayHandshake=sc. The delayed client is created first; the checks only compare the two
  clients and use lower bounds well below the delay.

  @server @v1 @v2 @L3 @MW-006 @S59
  Scenario: A client held back in HANDSHAKE_WS does not hold back another client
    When a node client B is created with options '{"query":{"conformanceDelayHandshake":"ws"},"autoReconnect":false}'
    And a node client A is connected
    Then B does not emit connect within 10 ms
    And B emits connect with '{"isAuthenticated":false}'
    And the connection state of B is open

  @server @v1 @v2 @L3 @MW-006 @S65 @not-v14
  Scenario: A client held back in HANDSHAKE_SC does not hold back another client
    When a node client B is created with options '{"query":{"conformanceDelayHandshake":"sc"},"autoReconnect":false}'
    And a node client A is connected
    Then B does not emit connect within 10 ms
    And B emits connect with '{"isAuthenticated":false}'
    And the connection state of B is open

  @server @v1 @v2 @L3 @MW-006 @S63 @not-v14
  Scenario: A client whose handshake HANDSHAKE_SC allows late connects once it is allowed
    When a node client C is created with options '{"query":{"conformanceDelayHandshake":"sc"},"autoReconnect":false}'
    Then C does not emit connect within 1000 ms
    And the connection state of C is connecting
    And C emits connect with '{"isAuthenticated":false}'
    And C has emitted, in order, "connecting, connect"
    When C invokes "conformance.echo" with '"after the wait"'
    Then the invoke of C resolves with '"after the wait"'
