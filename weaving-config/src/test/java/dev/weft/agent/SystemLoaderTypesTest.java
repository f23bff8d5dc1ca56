package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aspectj.apache.bcel.Repository;
import org.aspectj.apache.bcel.classfile.JavaClass;
import org.aspectj.apache.bcel.generic.ObjectType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SystemLoaderTypesTest {
  private org.aspectj.apache.bcel.util.Repository before;

  @BeforeEach
  void install() {
    before = Repository.getRepository();
    SystemLoaderTypes.install();
  }

  @AfterEach
  void restore() {
    Repository.setRepository(before);
  }

  @Test
  void jdkAndClassPathTypes_andTheirSuperTypes_areReadThroughIt() {
    JavaClass list = Repository.lookupClass("java.util.ArrayList");
    assertSame(Repository.getRepository(), list.getRepository());
    JavaClass parent = list.getSuperClass();
    assertEquals("java.util.AbstractList", parent.getClassName());
    assertSame(Repository.getRepository(), parent.getRepository());
    assertTrue(Repository.implementationOf("java.util.ArrayList", "java.util.Collection"));
    assertFalse(Repository.implementationOf("java.util.ArrayList", "java.util.Map"));
    assertTrue(Repository.instanceOf("dev.weft.agent.SystemLoaderTypes", "java.lang.Object"));
  }

  @Test
  void theAssignabilityTheWeaverAsks_isAnswered() {
    ObjectType connection = new ObjectType("java.sql.Connection");
    ObjectType object = new ObjectType("java.lang.Object");
    assertTrue(connection.isAssignmentCompatibleWith(object));
    assertFalse(object.isAssignmentCompatibleWith(connection));
    assertTrue(
        new ObjectType("java.util.ArrayList")
            .isAssignmentCompatibleWith(new ObjectType("java.util.List")));
  }

  @Test
  void anUnknownType_isNotFound() {
    assertNull(Repository.lookupClass("no.such.Type"));
  }
}
