@server
Feature: The handshake
  The first message on a new connection is the client's #handshake request, which carries the stored
  auth token (or null) and a numeric cid. The server answers with the socket id, the ping timeout it
  enforces and the authentication verdict. Anything else sent before the handshake ends the connection.

  @v1 @v2 @L1 @HS-002 @HS-003 @S1 @S27 @S68
  Scenario: The handshake response carries id, pingTimeout and isAuthenticated and no authError
    Given raw connection A is open
    When A sends '{"event":"#handshake","data":{"authToken":null},"cid":$cid}'
    Then A next receives exactly '{"rid":"$lastCid","data":{"id":"<string>","pingTimeout":"<number>","isAuthenticated":false}}'

  @v1 @v2 @L1 @HS-005
  Scenario Outline: The handshake is answered for any numeric cid and without data
    Given raw connection A is open
    When A sends '<handshake>'
    Then A receives '{"rid":<cid>,"data":{"id":"<string>","isAuthenticated":false}}'

    Examples:
      | handshake                                                   | cid  |
      | {"event":"#handshake","data":{"authToken":null},"cid":4711} | 4711 |
      | {"event":"#handshake","cid":7}                              | 7    |
      | {"event":"#handshake","data":{},"cid":3}                    | 3    |

  @v2 @L1 @HS-004 @S25
  Scenario Outline: A handshake without a numeric cid is rejected with 4008
    Given raw connection A is open
    When A sends '<handshake>'
    Then A is closed with code 4008
    And A receives no frame matching '{"rid":"<any>"}' within 200 ms

    Examples:
      | handshake                                                  |
      | {"event":"#handshake","data":{"authToken":null}}           |
      | {"event":"#handshake","data":{"authToken":null},"cid":"1"} |
      | {"event":"#handshake","data":{"authToken":null},"cid":null} |

  @v1 @v2 @L1 @HS-006 @S23 @S24 @S45
  Scenario Outline: Any message before the handshake closes the connection with 4009
    Given raw connection A is open
    When A <sends>
    Then A is closed with code 4009

    Examples:
      | sends                                                                    |
      | sends a pong                                                             |
      | sends the binary frame ''                                                |
      | sends the binary frame '{"event":"#handshake","data":{},"cid":1}x'       |
      | sends 'hello'                                                            |
      | sends '{"event":"customRemoteEvent","data":123}'                         |
      | sends '{"event":"customProc","data":{},"cid":1}'                         |
      | sends '{"rid":1,"data":"early"}'                                         |
      | sends '{"event":"#subscribe","data":{"channel":"early"},"cid":2}'        |

  @v1 @v2 @L1 @slow @HS-007
  Scenario: A connection that never sends its handshake is closed
    Given raw connection A is open
    Then A is closed within the handshake timeout with one of the codes "4005, 4001"

  @v1 @v2 @L1 @HS-013 @fixture
  Scenario: A second handshake on an open socket does not harm other sockets
    Given raw connection A has completed the handshake
    When A sends '{"event":"#handshake","data":{"authToken":null},"cid":$cid}'
    And raw connection B has completed the handshake
    And B invokes "conformance.echo" with '"still serving"'
    Then the invoke of B resolves with '"still serving"'
