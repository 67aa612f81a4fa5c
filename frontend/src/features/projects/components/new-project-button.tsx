import { Button, Modal } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useNavigate } from "react-router";
import { CreateProjectForm } from "./create-project-form";

export function NewProjectButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const navigate = useNavigate();

  return (
    <>
      <Button onClick={open}>New project</Button>
      <Modal opened={opened} onClose={close} title="New project" size="xl">
        <CreateProjectForm
          onCancel={close}
          onCreated={(project) => {
            close();
            void navigate(`/projects/${project.id}`);
          }}
        />
      </Modal>
    </>
  );
}
