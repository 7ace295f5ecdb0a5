@server
Feature: Create a server and accept connections
  A SocketCluster server is attached to an HTTP server and accepts WebSocket connections at
  /socketcluster/. Every connection that completes the handshake makes the server's connection loop
  (for await ... of agServer.listener('connection')) iterate once, and gets its own socket id.

  @v1 @v2 @L1 @TR-001 @TR-004
  Scenario: The server accepts a WebSocket at /socketcluster/ with any query string
    Given raw connection A is open at "/socketcluster/?room=lobby&tags=a&tags=b"
    When A sends '{"event":"#handshake","data":{"authToken":null},"cid":$cid}'
    Then A receives '{"rid":"$lastCid","data":{"id":"<string>"}}'

  @v1 @v2 @L1 @TR-002
  Scenario Outline: The server refuses the WebSocket upgrade at another path
    When raw connection A tries to open at "<path>"
    Then the upgrade of raw connection A is refused with HTTP status 400

    Examples:
      | path               |
      | /socketcluster     |
      | /socketcluster/x/  |
      | /                  |

  @v1 @v2 @L1 @fixture @HS-008 @S28 @S29
  Scenario: One hundred clients connecting at once are each served
    When 100 raw connections each complete the handshake and invoke "conformance.echo" with '"ready"'
    Then all 100 handshakes succeed with distinct socket ids and all invokes resolve with '"ready"'

  @v1 @v2 @L1 @fixture @HS-002
  Scenario: Each connection gets its own socket id
    Given raw connection A has completed the handshake
    And raw connection B has completed the handshake
    When A invokes "conformance.hello" without data
    Then the invoke of A resolves with '{"socketId":"$id.A"}'
    When B invokes "conformance.hello" without data
    Then the invoke of B resolves with '{"socketId":"$id.B"}'
