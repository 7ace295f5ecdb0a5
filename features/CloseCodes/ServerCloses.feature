@server
Feature: Close codes sent by the server
  The server closes connections with codes from the SocketCluster table (4001 pong timeout, 4002 token
  signing failure, 4005 handshake timeout, 4008 rejected handshake, 4009 message before handshake) and
  leaves the close reason empty for them: the receiver fills in the standard text. An application's
  socket.disconnect(code, reason) sends exactly its code and reason. Whatever code a client closes with,
  the server carries on serving everyone else.

  @fixture @v1 @v2 @L1 @CC-002
  Scenario Outline: socket.disconnect sends the application's code and reason
    Given raw connection A has completed the handshake
    When A invokes "conformance.disconnect" with '<request>'
    Then the invoke of A resolves without data
    And A is closed with code <code> and reason '<reason>'

    Examples:
      | request                                  | code | reason        |
      | {"code":4100}                            | 4100 |               |
      | {}                                       | 1000 |               |

    @not-v14
    Examples: socketcluster-server 14.x answers these differently (spec/legacy-v14.md)
      | request                                  | code | reason        |
      | {"code":4321,"reason":"custom reason"}   | 4321 | custom reason |
      | {"code":4500,"reason":"go away for good"} | 4500 | go away for good |

  @v1 @v2 @L1 @CC-001
  Scenario Outline: Protocol close codes carry an empty reason on the wire
    Given raw connection A is open
    When A sends '<frame>'
    Then A is closed with code <code> and reason ''

    Examples:
      | frame                                              | code |
      | {"event":"customRemoteEvent","data":1}             | 4009 |

    @not-v14
    Examples: socketcluster-server 14.x answers these differently (spec/legacy-v14.md)
      | frame                                              | code |
      | {"event":"#handshake","data":{"authToken":null}}   | 4008 |

  @v1 @v2 @L1 @CC-001 @not-v14
  Scenario: The 4008 close for a cid-less #authenticate carries an empty reason
    Given raw connection A has completed the handshake
    When A sends '{"event":"#authenticate","data":"x"}'
    Then A is closed with code 4008 and reason ''

  @fixture @v1 @v2 @L1 @CC-007 @RB-003 @S30 @S31
  Scenario: Clients closing with their own codes before and after the handshake do not disturb the server
    Given raw connection A is open
    And raw connection B has completed the handshake
    And raw connection K has completed the handshake
    When A disconnects with code 4444 and reason "Disconnect before handshake"
    And B disconnects with code 4445 and reason "Disconnect after handshake"
    And K invokes "conformance.echo" with '"still here"'
    Then the invoke of K resolves with '"still here"'
    When raw connection N has completed the handshake
    And N invokes "conformance.echo" with '"new"'
    Then the invoke of N resolves with '"new"'
