Feature: Ping and pong keep the connection alive
  Only the server pings. In protocol v2 the ping and the pong are both an empty text frame; in protocol
  v1 the ping is the text #1 and the pong #2. They are application frames, not WebSocket control frames
  and not JSON. The server closes with 4001 when pongs stop; the client closes with 4000 when pings stop,
  using the ping timeout the server advertised in its handshake response.

  Rule: The server pings and watches for pongs

    @server @v1 @v2 @L1 @PP-001
    Scenario: The server sends pings after the handshake
      Given raw connection A has completed the handshake
      Then A receives a ping

    @server @v1 @v2 @L1 @PP-002
    Scenario: The server pings from the moment the socket exists
      Given raw connection A is open
      Then A receives a ping

    @server @v1 @v2 @L1 @slow @PP-003 @PP-005 @S58
    Scenario: A client that answers every ping stays connected beyond the ping timeout
      Given raw connection A has completed the handshake
      Then A is still open after the ping timeout

    @server @v1 @v2 @L1 @slow @PP-004 @PP-005 @S56
    Scenario: A client that stops answering pings is disconnected with 4001
      Given raw connection A has completed the handshake
      When A stops answering pings
      Then A is closed with code 4001 one ping timeout after its last pong

  Rule: The client answers pings and watches for them

    @client @v1 @v2 @L1 @PP-006 @S58
    Scenario: A client answers pings and stays connected beyond the ping timeout
      Given the known-good server is running with options '{"pingInterval":500,"pingTimeout":2000}'
      And a client C is connected
      Then the known-good server receives from C a frame matching '$pong'
      And C does not emit disconnect within 4000 ms
      And the connection state of C is open

    # PP-008: the watchdog runs from the handshake with the advertised 1500 ms, so the disconnect comes 1500 ms after
    # connect. The window is 1500 - 300 ms (the connect event is recorded just after the timer is armed) to
    # 1500 + 2000 ms (a timer of a client on a loaded machine fires up to about a second late): a client with its own
    # watchdog (5 s or more: the 10 s default wait, its connectTimeout of 20 s, the official 20 s default) falls outside.
    @client @v1 @v2 @L1 @PP-007 @PP-008 @S56 @C35 @not-v14-client
    Scenario: A client that receives no pings closes with 4000 after the advertised ping timeout
      Given the known-good server is running with options '{"pingTimeoutDisabled":true,"pingTimeout":1500}'
      And a client C is connected with options '{"autoReconnect":false}'
      Then C emits connect with '{"pingTimeout":1500}'
      And C emits disconnect with '{"code":4000,"reason":"Server ping timed out"}' between 1200 and 3500 ms after its connect
      And C emits error with '{"name":"SocketProtocolError","code":4000}'

    @client @v1 @v2 @L1 @PP-009 @S57 @C36
    Scenario: With pings disabled on both sides the connection stays open
      Given the known-good server is running with options '{"pingTimeoutDisabled":true,"pingTimeout":500}'
      And a client C is connected with options '{"pingTimeoutDisabled":true}'
      Then C does not emit disconnect within 1500 ms
      And C does not emit error within 100 ms
      And the connection state of C is open
